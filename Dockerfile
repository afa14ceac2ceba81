# kubereach as a container image: the single-file bundle on a distroless Node 20 runtime, run as a
# non-root user. Build it from the repository root:
#
#   docker build -t kubereach .
#   docker run --rm -v "$PWD:/work:ro" -w /work kubereach audit -f manifests/
#
# The first stage builds the bundle (packages/cli/dist/bundle/kubereach.mjs); the image holds only
# that file and the Node runtime. test/packaging/dockerfile.test.ts lints this file.

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json tsconfig.json ./
COPY packages ./packages
# the playground, built alongside, embeds the demo cluster
COPY fixtures/demo ./fixtures/demo
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run build

FROM gcr.io/distroless/nodejs20-debian12:nonroot
COPY --from=build /src/packages/cli/dist/bundle/kubereach.mjs /app/kubereach.mjs
USER nonroot
WORKDIR /work
ENTRYPOINT ["/nodejs/bin/node", "/app/kubereach.mjs"]
