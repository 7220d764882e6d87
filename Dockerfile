# 条例宣贯助手: one image for both services of docker-compose.yml (bot and web).
# Builds from the package registries alone: Debian's apt for the CJK font, PyPI for Python.
FROM python:3.11-slim

# MPLCONFIGDIR: where matplotlib (the campaign report) keeps its font cache, writable by
# the bot user.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MPLCONFIGDIR=/app/.cache/matplotlib \
    BOT_KNOWLEDGE_DIR=/app/knowledge \
    BOT_INTENTS_DIR=/app/intents \
    BOT_CACHE_DIR=/app/.cache/ipreg-bot

# Chinese glyphs for the report's charts (python -m bot report fails clearly without them).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

# A non-root user. Its uid owns ./data on the host (see the README's deployment section);
# build with --build-arg UID=$(id -u) to match yours.
ARG UID=1000
ARG GID=1000
RUN groupadd --gid "${GID}" bot \
    && useradd --uid "${UID}" --gid bot --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin bot

WORKDIR /app

# The project itself (not editable; the sources are removed once installed).
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install ".[all]" && rm -rf bot build ./*.egg-info

# Default knowledge base and intent rules; docker-compose.yml mounts ./knowledge over the
# first, read-only, so organisers edit it on the host and send /reload.
COPY knowledge ./knowledge
COPY intents ./intents

RUN mkdir -p data .cache/matplotlib && chown -R bot:bot data .cache
USER bot
# Build matplotlib's font cache now (it finds the Noto CJK fonts), not on the first report,
# and embed the default knowledge base (semantic matching), not on the first start.
RUN python -c "import matplotlib.font_manager as fm; fm.fontManager" \
    && python -m bot check \
    && python -m bot index

VOLUME ["/app/data"]
# 8080: python -m bot web; 8443: the bot's webhook server (BOT_WEBHOOK_URL set).
EXPOSE 8080 8443
CMD ["python", "-m", "bot", "run"]
