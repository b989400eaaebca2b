#!/bin/sh
# Prepares a Temporal cluster for minecase: the namespace, then the search attributes the case workflow upserts.
# Runs in temporalio/admin-tools (the `temporal` CLI), once per `docker compose up`; safe to run again.
#
# The namespace part follows temporalio/samples-server compose/scripts/create-namespace.sh (at
# b7bc4c54f6eddfaf03d6b0a3c52e206512814f4f). The search attributes are minecase's own: the names and types of
# workflows/search_attributes.py SERVER_TYPES (tests/test_deploy_files.py fails when the two lists differ). A case
# whose attributes are not registered fails its workflow task at its first upsert and waits until they are.
set -eu

NAMESPACE=${DEFAULT_NAMESPACE:-default}
TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
RETENTION=${NAMESPACE_RETENTION:-720h}  # 30 days of a closed case's history (the case file keeps it forever)
MAX_ATTEMPTS=${TEMPORAL_HEALTH_CHECK_MAX_ATTEMPTS:-30}
SLEEP_SECONDS=${TEMPORAL_HEALTH_CHECK_SLEEP_SECONDS:-5}

echo "Waiting for Temporal at $TEMPORAL_ADDRESS to be healthy..."
attempt=1
until temporal operator cluster health --address "$TEMPORAL_ADDRESS"; do
  if [ "$attempt" -ge "$MAX_ATTEMPTS" ]; then
    echo "Server did not become healthy after $MAX_ATTEMPTS attempts"
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep "$SLEEP_SECONDS"
done

if temporal operator namespace describe -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then
  echo "Namespace '$NAMESPACE' already exists"
else
  temporal operator namespace create -n "$NAMESPACE" --retention "$RETENTION" --address "$TEMPORAL_ADDRESS"
  echo "Namespace '$NAMESPACE' created (retention $RETENTION)"
fi

# One attribute at a time, skipping those already there (a second run, or a cluster prepared by hand).
search_attribute() {
  if temporal operator search-attribute list -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" | grep -qw "$1"; then
    echo "Search attribute $1 already exists"
  else
    temporal operator search-attribute create -n "$NAMESPACE" --address "$TEMPORAL_ADDRESS" --name "$1" --type "$2"
    echo "Search attribute $1 ($2) created"
  fi
}
search_attribute MineStage Keyword
search_attribute Township Keyword
search_attribute CasePath Keyword
search_attribute Campaign Keyword
search_attribute County Keyword
search_attribute NextDeadline Datetime
search_attribute Overdue Bool
echo "minecase's namespace and search attributes are ready"
