"""Areas and results side by side and over time: the table, the words and the figures."""
