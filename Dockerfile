# The warmintro API (GraphQL at /graphql and the web page). docker-compose.yml runs it
# against Neo4j; alone it uses the embedded store in /data.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WARMINTRO_DATA_DIR=/data
WORKDIR /app
# Only what the wheel is built from (no .venv, .cache or .git in the image).
COPY pyproject.toml README.md ./
COPY api ./api
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY warmintro ./warmintro
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app warmintro \
    && mkdir -p /data && chown warmintro /data
USER warmintro
VOLUME ["/data"]
EXPOSE 8000
CMD ["warmintro", "serve", "--host", "0.0.0.0", "--port", "8000"]
