"""Comparing areas: choosing results, the Compare page's view, and the areas as a tree."""
