// The page side of planner.ui.download.DownloadButton: on click, ask the kernel for the file; when its
// bytes arrive (a binary buffer), save them as a Blob under the file name the kernel gives.
function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "tb-download-button";
  const draw = () => { button.textContent = model.get("label"); button.disabled = model.get("disabled"); };
  draw();
  button.addEventListener("click", () => model.send({ kind: "request" }));
  const onMessage = (message, buffers) => {
    if (!message || message.kind !== "file" || !buffers || !buffers.length) return;
    const blob = new Blob([buffers[0]], { type: message.mime });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = message.filename;
    link.style.display = "none";
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  };
  model.on("msg:custom", onMessage);
  model.on("change:label", draw);
  model.on("change:disabled", draw);
  el.append(button);
  return () => { model.off("msg:custom", onMessage); model.off("change:label", draw); model.off("change:disabled", draw); };
}
export default { render };
