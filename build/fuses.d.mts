import type { AfterPackContext } from 'app-builder-lib';

export default function afterPack(context: AfterPackContext): Promise<void>;
