# Pathwell server and worker image. One image, two roles: `pathwell server` and `pathwell worker`.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production PATHWELL_MODE=production PATHWELL_DATA_DIR=/var/lib/pathwell
COPY package.json package-lock.json ./
# Dev dependencies are kept: tsx compiles the TypeScript sources at start.
RUN npm ci && npm cache clean --force
COPY . .
# npm ci ran before the sources were here, so its prepare step could not build the UI yet.
RUN npm run build:ui
RUN mkdir -p /var/lib/pathwell && chown node:node /var/lib/pathwell
USER node
EXPOSE 8080
ENTRYPOINT ["node", "bin/pathwell.js"]
CMD ["server"]
