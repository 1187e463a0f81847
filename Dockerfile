# The Space as a container: Docker Spaces, or any container host (several replicas + one Redis:
# see README, "Scaling out"). Build: docker build -t plumberforce . ; run: docker run -p 7860:7860 plumberforce
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    GRADIO_ANALYTICS_ENABLED=False \
    PORT=7860 \
    PLUMBERFORCE_DATA_DIR=/home/plumber/data

# A non-root user (Hugging Face Docker Spaces run containers as user 1000).
RUN useradd --create-home --uid 1000 plumber
WORKDIR /home/plumber/app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=plumber:plumber space_app.py README.md ./
COPY --chown=plumber:plumber plumberforce ./plumberforce
USER plumber

EXPOSE 7860
# Liveness: /api/health needs no key and does no work. PORT is honoured (space_app.py reads it).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"7860\")}/api/health', timeout=4)"

CMD ["python", "space_app.py"]
