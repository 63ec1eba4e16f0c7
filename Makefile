# The front door. Every target delegates to a script; we run as root (no sudo).
SHELL := /bin/bash
CC_CONFIG ?= /etc/cc/config.json
export CC_CONFIG

.PHONY: help install start stop restart status demo summary test lint typecheck build bench dist-fresh backup restore encrypt-existing

help:
	@echo "make install     install or update everything (safe to re-run; log in /var/log/cc/install.log)"
	@echo "make demo        install on first run, start everything, print addresses and logins"
	@echo "make start|stop|restart|status   MariaDB, Redis, Asterisk and the server"
	@echo "make test        unit, integration and telephony tests (installs what is missing)"
	@echo "make lint | typecheck | build | bench"
	@echo "make backup [RECORDINGS=1]   save database, settings, prompts (and recordings) to /var/lib/cc/backups"
	@echo "make restore FILE=...        put a backup back (on a fresh install; FORCE=1 to replace data)"
	@echo "make encrypt-existing        seal customer fields and TOTP secrets stored before encryption (or under an old data key)"

install:
	./install.sh

# Rebuild first when the server's sources are newer than the build (or there is none).
start: dist-fresh
	scripts/services.sh start all

dist-fresh:
	@if [ ! -f dist/server/main.js ] || [ -n "$$(find server views -newer dist/server/main.js -name '*.ts' -print -quit)" ]; then $(MAKE) --no-print-directory build; fi

stop:
	scripts/services.sh stop all

restart: dist-fresh
	scripts/services.sh restart all

# Exit status 3 from services.sh only means something is stopped.
status:
	@scripts/services.sh status all || true

demo:
	@if [ ! -f "$(CC_CONFIG)" ] || [ ! -d node_modules ]; then ./install.sh; fi
	@# Settings a newer version needs (the data key) are added to an existing config; nothing is replaced.
	@npx --no-install tsx scripts/gen-config.ts
	@$(MAKE) --no-print-directory dist-fresh
	scripts/services.sh start all
	@scripts/summary.sh

summary:
	@scripts/summary.sh

test:
	scripts/test.sh

lint:
	npm run --silent lint

typecheck:
	npm run --silent typecheck

build:
	@if [ ! -d node_modules ]; then bash -c '. scripts/lib.sh && npm_deps'; fi
	npm run --silent build

bench:
	@if [ -f scripts/bench/run.sh ]; then bash scripts/bench/run.sh; else echo "no benchmarks yet"; fi

backup:
	scripts/backup.sh $(if $(RECORDINGS),--recordings)

restore:
	@if [ -z "$(FILE)" ]; then echo "usage: make restore FILE=/var/lib/cc/backups/...tar.gz [FORCE=1]"; exit 2; fi
	scripts/restore.sh "$(FILE)" $(if $(FORCE),--force)

# Safe to re-run, and while the server runs (only values not sealed under the current key are touched).
encrypt-existing:
	npx --no-install tsx scripts/encrypt-existing.ts
