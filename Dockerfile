FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY warmintro ./warmintro
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["warmintro", "serve", "--host", "0.0.0.0", "--port", "8000"]
