# syntax=docker/dockerfile:1
# The auth service: gunicorn with uvicorn workers (infra/prod/gunicorn.conf.py), as user farm.
# Build from the repository root:  docker build -f infra/docker/auth.Dockerfile -t farm/auth .

FROM python:3.11-slim-bookworm AS build
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /app
# Dependencies first (a layer that changes only with the lock file)...
COPY pyproject.toml uv.lock ./
COPY libs/platform-common/pyproject.toml libs/platform-common/
COPY services/auth/pyproject.toml services/auth/
COPY services/core-api/pyproject.toml services/core-api/
COPY gateway/pyproject.toml gateway/
RUN uv sync --locked --no-dev --package platform-auth --no-install-workspace
# ...then the code, installed into the environment (no source tree needed at run time).
COPY libs/platform-common libs/platform-common
COPY services/auth services/auth
RUN uv sync --locked --no-dev --package platform-auth --no-editable

FROM python:3.11-slim-bookworm
RUN groupadd --system --gid 10001 farm \
    && useradd --system --uid 10001 --gid farm --home-dir /app --no-create-home farm
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY infra/prod/gunicorn.conf.py infra/prod/gunicorn.sh infra/prod/
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FARM_PROCESS=auth \
    AUTH_HOST=0.0.0.0 \
    AUTH_PORT=8001
USER 10001:10001
EXPOSE 8001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8001/healthz', timeout=2)"]
ENTRYPOINT ["/app/infra/prod/gunicorn.sh"]
