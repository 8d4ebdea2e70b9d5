# spine-sim container image. docs/docker.md explains how to run it with docker-compose.yml.
#
#   docker build -t spine-sim:local .
#
# Stage 1 builds dist/ and the production node_modules; stage 2 is the runtime image, which has no
# compiler, no dev dependencies and no source.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# better-sqlite3 is a native addon: npm ci uses its prebuilt binary when one matches, and compiles it
# with node-gyp when none does, which needs python3, make and g++.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json ./
COPY scripts ./scripts
COPY src ./src
# Then drop the dev dependencies (esbuild, vitest, typescript …) but keep the compiled better-sqlite3:
# pruning reuses the addon built above instead of compiling it again in another stage.
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
# Application files stay owned by root, so the simulator cannot rewrite itself; only the certs and
# data directories below belong to the user it runs as.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY scenarios ./scenarios
COPY seed-data ./seed-data

# The certs and data directories exist in the image owned by `node`, so that a named volume mounted
# over them starts out owned by `node` too (Docker copies a fresh named volume's ownership from the
# image). A bind mount keeps the host's ownership instead: it must be writable by uid 1000.
RUN mkdir -p /etc/spine-sim/certs /var/lib/spine-sim \
 && chown node:node /etc/spine-sim/certs /var/lib/spine-sim

# Settings come from SPINE_SIM_* variables rather than flags, so that `docker run -e` or a compose
# `environment:` entry can override any of them (a flag would win over the variable).
#
# Spine's real ports (443, 389, 636) are bound inside the container, because other containers on the
# compose network reach the simulator by its real hostnames on the real ports: a port mapping does not
# apply between containers. The process runs as the non-root `node` user, which may bind ports below
# 1024 because the container's net.ipv4.ip_unprivileged_port_start is 0: Docker Engine 20.10 and later
# set that in every container that has its own network namespace, and docker-compose.yml sets it
# explicitly for older engines and other runtimes. That is simpler than `setcap` on the node binary
# (which would need libcap2-bin in this image, would give every node process the capability, and is
# defeated by --security-opt no-new-privileges). With `docker run --network host`, or on a runtime
# that leaves the sysctl at 1024, pick unprivileged ports instead, e.g. -e SPINE_SIM_HTTPS_PORT=8443.
#
# Both the Spine listeners and the control listener bind every interface of the container. Off
# loopback spine-sim refuses to start the control API without a token: set SPINE_SIM_CONTROL_TOKEN
# (16+ characters; docker-compose.yml does). /_health and /_version never need one.
ENV SPINE_SIM_ENV=int \
    SPINE_SIM_HOST=0.0.0.0 \
    SPINE_SIM_CONTROL_HOST=0.0.0.0 \
    SPINE_SIM_HTTPS_PORT=443 \
    SPINE_SIM_LDAP_PORT=389 \
    SPINE_SIM_LDAPS_PORT=636 \
    SPINE_SIM_CONTROL_PORT=8080 \
    SPINE_SIM_DATA_DIR=/var/lib/spine-sim \
    SPINE_SIM_CERTS_DIR=/etc/spine-sim/certs \
    SPINE_SIM_PUBLIC_URL=https://msg.int.spine2.ncrs.nhs.uk \
    SPINE_SIM_READY_FILE=/var/lib/spine-sim/ready.json \
    SPINE_SIM_LOG_FORMAT=json

EXPOSE 443 389 636 8080
USER node

# The control listener's /_health answers 200 once every listener (HTTPS, LDAP, LDAPS, control) is
# ready, 503 before. The slim image has no curl or wget, so node itself asks.
HEALTHCHECK --interval=5s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "require('node:http').get({host:'127.0.0.1',port:process.env.SPINE_SIM_CONTROL_PORT||8080,path:'/_health',timeout:2500},(r)=>process.exit(r.statusCode===200?0:1)).on('timeout',()=>process.exit(1)).on('error',()=>process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM from `docker stop` itself; spine-sim handles it and
# closes every listener and the database before exiting.
ENTRYPOINT ["node", "--enable-source-maps", "dist/main.js"]
CMD ["start"]
