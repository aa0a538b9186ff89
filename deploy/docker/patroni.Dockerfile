# syntax=docker/dockerfile:1
# GhidraInsight: PostgreSQL 15 under Patroni, the image of deploy/kubernetes/components/postgres/statefulset.yaml.
# Build: docker build -f deploy/docker/patroni.Dockerfile -t ghidrainsight-patroni:15 deploy/docker
# Runs as postgres (UID 999) on a read-only root file system: /var/lib/postgresql (a volume), /var/run/postgresql and
# /tmp are written. The configuration is deploy/postgres/patroni.yml, mounted at /etc/patroni-config.

FROM debian:bookworm-slim
# The postgres user gets a fixed UID before the package would pick one, so the StatefulSet can run as it; no default
# cluster is created (Patroni bootstraps its own data directory).
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid postgres --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && apt-get update \
 && apt-get install -y --no-install-recommends postgresql-common \
 && sed -ri 's/#?(create_main_cluster) .*$/\1 = false/' /etc/postgresql-common/createcluster.conf \
 && apt-get install -y --no-install-recommends postgresql-15 python3-venv python3-psycopg2 ca-certificates \
 && rm -rf /var/lib/apt/lists/*
# Patroni 3.0.3 or newer over etcd's v3 API: Debian 12's 3.0.2 can take a lost leader key back (deploy/postgres/README.md).
RUN python3 -m venv --system-site-packages /opt/patroni \
 && /opt/patroni/bin/pip install --no-cache-dir 'patroni[etcd3]>=3.0.3,<4'
USER 999:999
EXPOSE 5432 8008
ENTRYPOINT ["/opt/patroni/bin/patroni"]
CMD ["/etc/patroni-config/patroni.yml"]
