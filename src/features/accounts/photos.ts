import { createHash } from 'node:crypto';
import { recordAudit } from '../../db/audit.js';
import type { Db, Executor } from '../../db/database.js';
import { AppError, badRequest, notFound } from '../../lib/errors.js';
import { nowIso } from '../../lib/time.js';
import { findPersonById } from '../people/queries.js';
import { updatePerson } from '../people/service.js';

/** What an upload may be: the formats every browser shows, checked from the bytes, not the name. */
export const PHOTO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
/** The largest upload taken (a phone's full-size photo fits). */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** Beyond this many pixels an image is refused before it is decoded: a small file can claim huge dimensions. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Stored square, twice the largest avatar shown, so it stays sharp on high-density screens. */
const STORED_SIZE = 256;

const FORMAT_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export const photoUrl = (personId: string, etag: string): string => `/api/v1/people/${personId}/photo?v=${etag}`;

/**
 * Resizes an uploaded photo to a square and keeps it as the person's avatar. What the bytes are is
 * decided by decoding them: a file that is not a PNG, JPEG or WebP image, or that cannot be decoded,
 * is a 400 naming `photo`, and nothing is written.
 */
export async function setPhoto(props: {
  db: Db;
  personId: string;
  actorId: string;
  bytes: Buffer;
  ip?: string;
}): Promise<{ avatarUrl: string }> {
  const resized = await resize(props.bytes);
  const etag = createHash('sha256').update(resized).digest('base64url').slice(0, 16);
  return props.db.transaction().execute(async (trx) => {
    const person = await findPersonById(trx, props.personId);
    if (!person || person.deleted_at) throw notFound('No such person.');
    const row = {
      content_type: 'image/webp',
      data: resized.toString('base64'),
      etag,
      updated_at: nowIso(),
    };
    await trx
      .insertInto('person_photos')
      .values({ person_id: person.id, ...row })
      .onConflict((oc) => oc.column('person_id').doUpdateSet(row))
      .execute();
    const avatarUrl = photoUrl(person.id, etag);
    await updatePerson(trx, person.id, { avatar_url: avatarUrl });
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'person.photo_set',
      subjectType: 'person',
      subjectId: person.id,
      data: { bytes: resized.length },
      ip: props.ip,
    });
    return { avatarUrl };
  });
}

/**
 * Removes the uploaded photo. A directory person's avatar comes back with the next import (the
 * directory owns that field); until then they have none.
 */
export async function removePhoto(props: { db: Db; personId: string; actorId: string; ip?: string }): Promise<void> {
  await props.db.transaction().execute(async (trx) => {
    const person = await findPersonById(trx, props.personId);
    if (!person || person.deleted_at) throw notFound('No such person.');
    await trx.deleteFrom('person_photos').where('person_id', '=', person.id).execute();
    await updatePerson(trx, person.id, { avatar_url: null });
    await recordAudit(trx, {
      actorId: props.actorId,
      action: 'person.photo_removed',
      subjectType: 'person',
      subjectId: person.id,
      ip: props.ip,
    });
  });
}

export async function readPhoto(
  db: Executor,
  personId: string,
): Promise<{ contentType: string; bytes: Buffer; etag: string } | undefined> {
  const row = await db.selectFrom('person_photos').selectAll().where('person_id', '=', personId).executeTakeFirst();
  return row ? { contentType: row.content_type, bytes: Buffer.from(row.data, 'base64'), etag: row.etag } : undefined;
}

/**
 * The image library, loaded at the first upload rather than with the server: it is a native library
 * that takes about a quarter of a second of CPU to load, which every start of every command (and of
 * every test process) paid otherwise, for a feature used now and then.
 */
const loadSharp = async () => (await import('sharp')).default;

async function resize(bytes: Buffer): Promise<Buffer> {
  if (bytes.length === 0) throw badRequest('photo: the file is empty', 'photo');
  if (bytes.length > MAX_PHOTO_BYTES) throw tooLarge();
  const sharp = await loadSharp();
  let format: string | undefined;
  try {
    format = (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata()).format;
  } catch {
    throw badRequest('photo: is not an image that can be read (use a PNG, JPEG or WebP file)', 'photo');
  }
  if (!format || !FORMAT_TYPES[format]) {
    throw badRequest(`photo: ${format ?? 'this'} images are not taken; use a PNG, JPEG or WebP file`, 'photo');
  }
  try {
    return await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS })
      // A phone's photo says which way is up in its EXIF data; applied here, then dropped with the rest of it.
      .rotate()
      .resize(STORED_SIZE, STORED_SIZE, { fit: 'cover', position: sharp.strategy.attention })
      .webp({ quality: 82 })
      .toBuffer();
  } catch {
    throw badRequest('photo: the image is damaged or too large to read (at most 50 megapixels)', 'photo');
  }
}

export const tooLarge = () =>
  new AppError('bad_request', `photo: must be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`, 'photo');
