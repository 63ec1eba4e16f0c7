# The front door. Every target delegates to a script.
.PHONY: install start stop status demo test lint typecheck build bench

install:
	./install.sh

start:
	scripts/services.sh start all

stop:
	scripts/services.sh stop all

status:
	scripts/services.sh status all

demo:
	@[ -f "$${CC_CONFIG:-/etc/cc/config.json}" ] && [ -d node_modules ] || ./install.sh
	scripts/services.sh start all
	scripts/summary.sh

test:
	scripts/test.sh

lint:
	npm run --silent lint

typecheck:
	npx tsc --noEmit

build:
	npm run --silent build

bench:
	@if [ -x scripts/bench/run.sh ]; then scripts/bench/run.sh; else echo "no benchmarks yet"; fi
