# The page's JS library (Cytoscape.js, pinned in web/package-lock.json) is fetched in its own stage.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --ignore-scripts

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 warmintro && mkdir /data && chown warmintro /data
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY graph ./graph
COPY loaders ./loaders
COPY queries ./queries
COPY warmintro ./warmintro
COPY --from=web /web/node_modules/cytoscape/dist/cytoscape.min.js ./api/static/vendor/cytoscape.min.js
RUN pip install --no-cache-dir .
USER warmintro
ENV WARMINTRO_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["warmintro", "serve", "--host", "0.0.0.0", "--port", "8000"]
