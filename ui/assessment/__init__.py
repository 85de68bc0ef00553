"""A self-assessment's pages: starting and resuming, the survey, results and their files,
publishing."""
