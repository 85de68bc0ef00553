"""Reusable Streamlit pieces. With app.py and app_pages/, the only code that imports Streamlit."""
