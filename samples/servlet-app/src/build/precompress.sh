#!/bin/sh
# Regenerates the committed precompressed siblings of css/site.css (run after editing it).
# gzip: Python's gzip module (mtime 0, so the output is reproducible); brotli: Node's zlib.
set -e
cd "$(dirname "$0")/../main/webapp/css"
python3 -c "import gzip; d=open('site.css','rb').read(); open('site.css.gz','wb').write(gzip.compress(d, 9, mtime=0))"
node -e "const z=require('zlib'),fs=require('fs');fs.writeFileSync('site.css.br',z.brotliCompressSync(fs.readFileSync('site.css'),{params:{[z.constants.BROTLI_PARAM_QUALITY]:11}}))"
