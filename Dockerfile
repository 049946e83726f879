# Production image: gunicorn serves the app, WhiteNoise its static files.

FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH
WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-cache
COPY --from=assets /build/node_modules ./node_modules
COPY . .
RUN TALENTDEV_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 STATIC_ROOT=/app/staticfiles \
    python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 --home /app talentdev \
    && mkdir -p /app/media && chown talentdev /app/media
USER talentdev
ENV STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/app/media
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn talentdev.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
