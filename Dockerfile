# One image for both Butler processes; docker-compose.yml runs it as the API
# (`npm run api`) and as the worker (`npm run worker`).

# The web console is built here, with the devDependencies it is bundled from (Vite, React, the
# client generated from the OpenAPI document); the image keeps only its static files.
FROM node:20-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY . .
RUN npm run console:build

FROM node:20-slim

WORKDIR /app
ENV NODE_ENV=production

# SIPp places the acceptance test calls (최종 검수) of new lines; Chromium and the
# Nanum fonts render the PDF reports (Korean embedded as a real font).
RUN apt-get update && apt-get install -y --no-install-recommends sip-tester chromium fonts-nanum && rm -rf /var/lib/apt/lists/*

# tsx and typescript are runtime dependencies (package.json "dependencies"),
# so the production install has everything `npm run api|worker` needs.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY . .
COPY --from=console /app/console/dist ./console/dist
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node

CMD ["npm", "run", "api"]
