"""Trailback: an evidence-based, progressive walking and hiking plan for back pain."""

from planner.plan import Plan, plan
from planner.adapt import DiaryEntry, adapt
from planner.compare import compare
from planner.profile import ClientProfile, Fitness, Goal, Pain, PlannerInputError, Terrain
from planner.safety import RED_FLAGS, Tier

__all__ = ["DiaryEntry", "adapt", "compare", "ClientProfile", "Fitness", "Goal", "Pain", "Plan", "PlannerInputError", "RED_FLAGS",
           "Terrain", "Tier", "plan"]
