"""The doors: the FastAPI app, auth and middleware, the REST API (rest/) and the Gradio UI (ui/)."""
