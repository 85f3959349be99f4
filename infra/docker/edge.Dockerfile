# syntax=docker/dockerfile:1
# The edge: nginx with the platform's site (infra/nginx/) rendered for a container network:
# TLS and HTTP/2, the gateway service behind it, /fragments/ proxied to the fragment host.
# Runs unprivileged (nginx's official unprivileged image). The certificate is mounted
# at /etc/nginx/tls/tls.crt and tls.key (a compose bind mount or a Kubernetes TLS Secret).
#   docker build -f infra/docker/edge.Dockerfile -t farm/edge .

FROM python:3.11-slim-bookworm AS config
WORKDIR /src
COPY infra/nginx infra/nginx
RUN python infra/nginx/render.py --out /etc/nginx/farm --standalone --user none \
      --state-dir /var/cache/nginx/farm --mime-types /etc/nginx/mime.types \
      --https-listen 8443 --http-listen 8080 --server-name _ --gateway gateway:8000 \
      --certificate /etc/nginx/tls/tls.crt --certificate-key /etc/nginx/tls/tls.key \
      --shell-dist none --fragments-root none \
      --fragments-host http://fragments:8080 \
      --access-log /dev/stdout --error-log stderr

FROM nginxinc/nginx-unprivileged:1.28-bookworm
COPY --from=config /etc/nginx/farm /etc/nginx/farm
USER 0
RUN mkdir -p /var/cache/nginx/farm/tmp/body /var/cache/nginx/farm/tmp/proxy \
      /var/cache/nginx/farm/tmp/fastcgi /var/cache/nginx/farm/tmp/uwsgi /var/cache/nginx/farm/tmp/scgi \
    && chown -R nginx:nginx /var/cache/nginx/farm
USER 101:101
EXPOSE 8080 8443
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
    CMD ["curl", "-fsk", "-o", "/dev/null", "https://127.0.0.1:8443/healthz"]
CMD ["nginx", "-c", "/etc/nginx/farm/nginx.conf", "-g", "daemon off;"]
