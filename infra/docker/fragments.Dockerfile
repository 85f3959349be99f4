# syntax=docker/dockerfile:1
# The fragment host: every fragment under /fragments/<name>/, served by the platform's static
# host (platform_common.fragment_host) from /srv/fragments, a volume fragment teams' pipelines
# upload their dist/<version>/ builds to, as to a CDN bucket. It finds a fragment when a
# request comes, so a new fragment or version needs no new image and no restart; nothing here
# names a fragment.
#   docker build -f infra/docker/fragments.Dockerfile -t farm/fragments .
#   docker build -f infra/docker/fragments.Dockerfile --target upload -t farm/fragment-upload .
# The `upload` target is what a team's pipeline does, for every fragment of this checkout at
# once: it copies their builds into the volume, keeping the versions already there.

# The npm workspace as it stands, then only its package.json files beside it (see
# shell.Dockerfile): `npm ci` is cached until one of those or the lock changes.
FROM node:20-bookworm-slim AS workspace
WORKDIR /src
COPY . .
RUN mkdir /workspace /manifests \
    && cp -r --parents package.json package-lock.json tsconfig.base.json packages clients/typescript mfe-* \
        infra/fragment-publish.mjs /workspace
WORKDIR /workspace
RUN find . -name package.json -exec cp --parents {} /manifests \;

# Every mfe-<name>/ whose package.json has a "fragment" block, built into /uploads/<name>/,
# without source maps (they stay with the build: docs/security.md).
FROM node:20-bookworm-slim AS builds
WORKDIR /src
COPY --from=workspace /manifests ./
COPY package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY --from=workspace /workspace ./
RUN for folder in mfe-*; do \
      node -e "process.exit(require('./' + process.argv[1] + '/package.json').fragment ? 0 : 1)" "$folder" || continue; \
      npm run build --workspace "$folder" || exit 1; \
      mkdir -p "/uploads/${folder#mfe-}" && cp -r "$folder/dist/." "/uploads/${folder#mfe-}/"; \
    done \
    && find /uploads \( -name '*.map' -o -name '*.map.*' \) -delete

FROM python:3.11-slim-bookworm AS upload
COPY --from=builds /uploads /uploads
# A new named volume takes this folder's owner, so uid 10001 may write to it.
RUN mkdir -p /srv/fragments && chown 10001:10001 /srv/fragments
USER 10001:10001
# -n: a version already uploaded keeps its bytes (published versions are immutable).
CMD ["cp", "-rn", "/uploads/.", "/srv/fragments/"]

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
    && useradd --system --uid 10001 --gid farm --home-dir /app --no-create-home farm \
    && mkdir -p /srv/fragments && chown farm:farm /srv/fragments
WORKDIR /app
COPY --from=python /app/.venv /app/.venv
COPY infra/prod/gunicorn.conf.py infra/prod/gunicorn.sh infra/prod/
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    FARM_PROCESS=fragments \
    FRAGMENT_HOST_HOST=0.0.0.0 \
    FRAGMENT_HOST_PORT=8080 \
    FRAGMENT_HOST_ROOT=/srv/fragments
VOLUME /srv/fragments
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"]
ENTRYPOINT ["/app/infra/prod/gunicorn.sh"]
