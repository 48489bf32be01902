# Tollbooth: the README's two commands in an image (npm ci && npm run build, then npm start).
# Not built in CI here (no image registry is reachable from the build machines); kept minimal.
FROM node:20-bookworm-slim

# better-sqlite3 compiles its native module when no prebuilt binary matches.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
  && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

ENV NODE_ENV=production \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATABASE_URL=file:./data/tollbooth.db
# The SQLite database and the generated secrets (session secret, provider-key encryption key) live in
# /app/data: mount a volume there. With PostgreSQL (DATABASE_URL=postgresql://…) the secrets still do.
VOLUME /app/data
EXPOSE 3000
# npm start applies migrations first (prestart), then serves the Studio and the API.
CMD ["npm", "start"]
