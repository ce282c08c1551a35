PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshot clean install-desktop

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/paperdesk

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/pylint --disable=all --enable=duplicate-code --score=n src/paperdesk bench

bench: $(STAMP)
	$(BIN)/python bench/build_bench.py --papers 100000

clean:
	rm -rf $(VENV) build dist

# The desktop entry and icons for this user (XDG_DATA_HOME, default ~/.local/share).
# Exec points at this checkout's venv, quoted as the Desktop Entry spec says (a path
# with spaces, quotes, & or % works); rerun after moving the checkout.
install-desktop: $(STAMP)
	@data="$${XDG_DATA_HOME:-$$HOME/.local/share}"; \
	install -d "$$data/applications" "$$data/icons/hicolor/scalable/apps"; \
	exe="$$(cd "$(BIN)" && pwd)/paperdesk"; \
	quoted=$$(printf '%s' "$$exe" | sed -e 's/[\\"`$$]/\\&/g' -e 's/\\/\\\\/g' -e 's/%/%%/g'); \
	while IFS= read -r line; do case "$$line" in \
		Exec=paperdesk*) printf 'Exec="%s"%s\n' "$$quoted" "$${line#Exec=paperdesk}";; \
		*) printf '%s\n' "$$line";; esac; \
	done < resources/paperdesk.desktop > "$$data/applications/paperdesk.desktop"; \
	chmod 644 "$$data/applications/paperdesk.desktop"; \
	install -m 644 resources/paperdesk.svg "$$data/icons/hicolor/scalable/apps/paperdesk.svg"; \
	for size in 48 128 256; do \
		install -d "$$data/icons/hicolor/$${size}x$${size}/apps"; \
		install -m 644 resources/paperdesk-$$size.png \
			"$$data/icons/hicolor/$${size}x$${size}/apps/paperdesk.png"; \
	done; \
	if command -v update-desktop-database >/dev/null; then \
		update-desktop-database -q "$$data/applications" || true; fi; \
	if [ -f "$$data/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache \
		>/dev/null; then gtk-update-icon-cache -q -t "$$data/icons/hicolor" || true; fi; \
	echo "installed $$data/applications/paperdesk.desktop and icons in $$data/icons/hicolor"
