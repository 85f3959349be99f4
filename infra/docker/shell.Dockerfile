# syntax=docker/dockerfile:1
# The shell host: the shell's Vite build served at / by the platform's static host
# (platform_common.fragment_host: immutable caching for hashed files, no source maps), as user
# farm. Only the gateway reaches it: it reads index.html and shared.json and forwards /shell/.
#   docker build -f infra/docker/shell.Dockerfile -t farm/shell .
# Fragments are not in this image: infra/docker/fragments.Dockerfile serves them.

# The npm workspace as it stands (packages/, the generated TypeScript client in
# clients/typescript/ and every mfe-*/ folder), then only its package.json files beside it:
# `npm ci` below is cached until one of those or the lock changes, however often the sources do.
FROM node:20-bookworm-slim AS workspace
WORKDIR /src
COPY . .
RUN mkdir /workspace /manifests \
    && cp -r --parents package.json package-lock.json tsconfig.base.json packages clients/typescript mfe-* \
        infra/fragment-publish.mjs /workspace
WORKDIR /workspace
RUN find . -name package.json -exec cp --parents {} /manifests \;

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY --from=workspace /manifests ./
COPY package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY --from=workspace /workspace ./
# Source maps stay with the build: a production image holds none (docs/security.md).
RUN npm run build --workspace mfe-shell \
    && find mfe-shell/dist \( -name '*.map' -o -name '*.map.*' \) -delete

FROM python:3.11-slim-bookworm AS python
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY libs/platform-common/pyproject.toml libs/platform-common/
COPY services/auth/pyproject.toml services/auth/
COPY services/core-api/pyproject.toml services/core-api/
COPY gateway/pyproject.toml gateway/
RUN uv sync --locked --no-dev --package platform-common --no-install-workspace
COPY libs/platform-common libs/platform-common
RUN uv sync --locked --no-dev --package platform-common --no-editable

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 farm \
    && useradd --system --uid 10001 --gid farm --home-dir /app --no-create-home farm
WORKDIR /app
COPY --from=python /app/.venv /app/.venv
COPY --from=web /src/mfe-shell/dist /app/mfe-shell/dist
COPY infra/prod/gunicorn.conf.py infra/prod/gunicorn.sh infra/prod/
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FARM_PROCESS=shell \
    FRAGMENT_HOST_HOST=0.0.0.0 \
    FRAGMENT_HOST_PORT=8080
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]
ENTRYPOINT ["/app/infra/prod/gunicorn.sh"]
