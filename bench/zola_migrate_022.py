# Minimal Zola <0.22 -> 0.22 config.toml migration, for scratch copies of old themes.
# Usage: python3 bench/zola_migrate_022.py SITE/config.toml  (edits in place)
# generate_feed -> generate_feeds, feed_filename -> feed_filenames, drops the removed
# [markdown] highlight_* / extra_syntaxes keys (highlighting is then off).
# Used for bench/zola-compare-results.md; never run it on a site you care about.
import re, sys
p = sys.argv[1]
s = open(p).read()
s = re.sub(r'(?m)^generate_feed\s*=', 'generate_feeds =', s)
s = re.sub(r'(?m)^feed_filename\s*=\s*("[^"]*")', r'feed_filenames = [\1]', s)
s = re.sub(r'(?m)^(highlight_code|highlight_theme|extra_syntaxes|extra_syntaxes_and_themes|highlight_themes_css)\s*=.*(\n\s+.*)*?(\n(?=\S)|$)', '', s)
open(p, 'w').write(s)
