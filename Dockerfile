# The browser libraries (Cytoscape.js, GraphiQL, React; pinned in web/package-lock.json) are
# fetched in their own stage; the same files scripts/vendor_web.sh copies for a local install.
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
COPY cli ./cli
COPY demo ./demo
COPY outreach ./outreach
COPY services ./services
COPY --from=web /web/node_modules/cytoscape/dist/cytoscape.min.js \
     /web/node_modules/react/umd/react.production.min.js \
     /web/node_modules/react-dom/umd/react-dom.production.min.js \
     /web/node_modules/graphiql/graphiql.min.js \
     /web/node_modules/graphiql/graphiql.min.css \
     ./api/static/vendor/
RUN pip install --no-cache-dir .
USER warmintro
ENV WARMINTRO_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8000
CMD ["warmintro", "serve", "--host", "0.0.0.0", "--port", "8000"]
