// Part of `npm run build`: puts the repository's README.md, LICENSE and CHANGELOG.md into package/,
// the folder npm packs, so the published package carries them (npm takes them only from the
// package's own folder and does not follow symbolic links). The copies are not committed
// (.gitignore); the repository's root holds the one version people edit.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

import { PACKAGE_ROOT, REPO_ROOT } from './n8n/util';

export const PACKAGE_DOCS = ['README.md', 'LICENSE', 'CHANGELOG.md'];

for (const file of PACKAGE_DOCS) copyFileSync(join(REPO_ROOT, file), join(PACKAGE_ROOT, file));
