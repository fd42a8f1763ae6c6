FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
# The default role (all: web, workers and the PDS in one process) gets the hub's heap budget; compose sets each role's.
# AsyncLocalStorage on context frames (Node 24's default), not promise hooks: a hook on every promise costs the worker ~10%.
ENV NODE_ENV=production DATA_DIR=/data NODE_OPTIONS="--max-old-space-size=512 --experimental-async-context-frame"
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
VOLUME /data
EXPOSE 3000
CMD ["node", "--enable-source-maps", "dist/src/main.js"]
