# Two commands on a fresh machine (Python 3.11+, pip):
#   make demo   install, migrate SQLite, generate and score two realistic years (2017, 2022+), serve on :8000
#   make test   install and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
export INTEGRITY_VAR_DIR ?= $(CURDIR)/var

.PHONY: demo test test-postgres bench bench-load bench-memory bench-scaleout install fonts browsers messages clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# PDF reports embed a Korean font (Noto Sans CJK); browser tests drive Debian's Chromium.
fonts:
	@fc-list 2>/dev/null | grep -qi "noto sans cjk" || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null; }

browsers: fonts
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi

# A fresh demo database each time (var/demo.sqlite3) with two published years, a 2017-model
# year (10-point scale) and a 2022+ year (100 points, 청렴노력도 with its objection window;
# about 45 s more); uploads and
# draws run in a background worker (django-tasks' database backend). INTEGRITY_DEMO: the
# production pages (Korean error pages, no debug pages) on plain HTTP at 127.0.0.1.
demo: install fonts
	rm -f $(INTEGRITY_VAR_DIR)/demo.sqlite3 $(INTEGRITY_VAR_DIR)/demo.sqlite3-wal $(INTEGRITY_VAR_DIR)/demo.sqlite3-shm
	INTEGRITY_DEMO=1 INTEGRITY_SQLITE_NAME=demo.sqlite3 $(PY) manage.py migrate --no-input -v0
	INTEGRITY_DEMO=1 INTEGRITY_SQLITE_NAME=demo.sqlite3 $(PY) manage.py demo --model 2022,2017
	@export INTEGRITY_DEMO=1 INTEGRITY_SQLITE_NAME=demo.sqlite3 INTEGRITY_TASK_BACKEND=django_tasks_db.DatabaseBackend; \
	  $(PY) manage.py db_worker --no-startup-delay & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:8000

# pytest exits 5 when it collected no test: that must fail, never pass quietly.
test: install browsers
	$(VENV)/bin/ruff check src tests bench
	INTEGRITY_DEBUG=1 $(PY) -m pytest -p no:cacheprovider -n auto; status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest ran no test" >&2; exit 1; fi; exit $$status

test-postgres: install
	INTEGRITY_DATABASE_URL=$${INTEGRITY_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/integrity} $(MAKE) test

bench: install fonts
	$(PY) bench/score_bench.py
	$(PY) bench/engine_bench.py
	$(PY) bench/uncertainty_bench.py
	$(PY) bench/roster_bench.py
	$(PY) bench/run_bench.py
	$(PY) bench/evaluator_screen.py
	INTEGRITY_DATABASE_URL=$${INTEGRITY_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/integrity} $(PY) bench/score_2022_bench.py
	$(PY) bench/upload_memory.py
	$(PY) bench/export_memory.py
	$(PY) bench/warning_backtest.py

# Issue 9: peak memory of the server and the worker on the worst uploads the limits admit.
bench-memory: install
	$(PY) bench/upload_memory.py

# Issue 4's load: 200 respondents at once, reading ~0.4 s per page (the target), then
# back to back (capacity), then the server killed and restarted mid-run.
bench-load: install
	$(PY) bench/fieldwork_load.py --respondents 3000 --concurrency 200 --think 0.4
	$(PY) bench/fieldwork_load.py --respondents 1500 --concurrency 200 --think 0
	$(PY) bench/fieldwork_load.py --respondents 3000 --concurrency 200 --think 0.4 --kill-after 8

# Issue 11's scale-out rehearsal: nginx balancing two granian nodes, one PostgreSQL, Redis for
# the shared rate limits; one node killed mid-run, then a quota race across both.
bench-scaleout: install
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
	$(PY) bench/scaleout.py --respondents 3000 --concurrency 200 --think 0.4 --kill-after 8

messages: install
	cd src/integrity && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete && ../../$(PY) ../../manage.py compilemessages

clean:
	rm -rf $(VENV) var bench/out
