// `npm run replay:record`: runs test/replay/*.record.ts to export fresh workflow histories.
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config';

export default defineConfig({ ...base, test: { ...base.test, include: ['test/replay/*.record.ts'] } });
