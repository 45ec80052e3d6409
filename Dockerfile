# syntax=docker/dockerfile:1
# Multi-stage: build a wheel with its dependencies, then run as a non-root user with
# only the runtime files. The image ships the GeoIP databases and IP lists in data/.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY gateway ./gateway
RUN pip install --no-cache-dir --upgrade pip==24.2 \
    && pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 --user-group distillguard
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
COPY --chown=distillguard:distillguard data ./data
COPY --chown=distillguard:distillguard policies ./policies
COPY --chown=distillguard:distillguard config ./config
ENV DISTILLGUARD_HOME=/app DISTILLGUARD_DATA=/app/data
USER 10001:10001
EXPOSE 8080 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/_distillguard/health', timeout=2).status != 200)"]
ENTRYPOINT ["distillguard"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--config", "/app/config/gateway.yaml"]
