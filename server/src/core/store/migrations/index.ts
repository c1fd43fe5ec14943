/** Listed statically so the bundle needs no runtime file reads. Append only; never edit a shipped step. */
import type { Db } from '../db';
import { updateToSchemaVersion0001 } from './0001-init';
import { updateToSchemaVersion0002 } from './0002-findings';
import { updateToSchemaVersion0003 } from './0003-quality';
import { updateToSchemaVersion0004 } from './0004-training-runs';

export const migrations: ReadonlyArray<(db: Db) => void> = [updateToSchemaVersion0001, updateToSchemaVersion0002, updateToSchemaVersion0003, updateToSchemaVersion0004];
