# The glossary service in a container: `glossary serve` with the curated base and its search index built
# into the image (at build time, with the service's base cache warmed by one request, so a container starts
# serving at once and writes nothing: it runs with a read-only file system).
#
#   docker build -t glossary .
#   docker run --rm -p 127.0.0.1:8000:8000 glossary   # or: docker compose up
#
# BASE may be any image with Python 3.11+ (or a Debian/Ubuntu one, which gets Debian's python3).
ARG BASE=python:3.11-slim
FROM ${BASE}
# Behind a TLS-intercepting proxy or with a package mirror: --build-arg PIP_CERT=/path/in/the/image/ca.pem,
# --build-arg PIP_INDEX_URL=… (pip reads them from the environment of each RUN).
ARG PIP_CERT
ARG PIP_INDEX_URL

RUN if ! command -v python3 >/dev/null || ! python3 -c "import venv, ensurepip" 2>/dev/null; then \
      apt-get update && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
      && rm -rf /var/lib/apt/lists/*; \
    fi \
 && python3 -m venv /opt/glossary
ENV PATH=/opt/glossary/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    GLOSSARY_INDEX_DIR=/var/cache/glossary

WORKDIR /src
# Dependencies first, pinned by the lock, so that a change to the code or the data reuses this layer.
COPY requirements.lock ./
RUN python3 -m pip install --no-cache-dir -r requirements.lock
COPY pyproject.toml README.md LICENSE ./
COPY glossary ./glossary
COPY service ./service
COPY data ./data
# Out of /src before anything imports the package, so that the installed copy (and its data) is the one used.
WORKDIR /
RUN python3 -m pip install --no-cache-dir --no-deps /src \
 && rm -rf /src \
 && glossary validate \
 && glossary build \
 && python3 -c "from service import create_app; create_app().test_client().get('/api/v1/health')" \
 && chmod -R a+rX "$GLOSSARY_INDEX_DIR"

USER nobody
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=4)"
# 0.0.0.0 inside the container; publish the port on the host as you choose (compose: 127.0.0.1 only).
CMD ["glossary", "serve", "--host", "0.0.0.0", "--port", "8000", "--no-reference"]
