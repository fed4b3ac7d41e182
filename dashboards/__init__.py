"""The Streamlit front end on the published snapshot."""
