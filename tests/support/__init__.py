"""Helpers shared by the test tiers: what the machine has, and throwaway servers."""
