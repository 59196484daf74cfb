import type { RoomUser, VideoRooms } from '../../integrations/jitsi.js';
import type { PersonRow } from '../people/presenters.js';

/** The link this viewer opens: the meeting's own link if it came with one, else our room (with a personal token where the video service needs one). */
export function joinUrlFor(
  video: VideoRooms,
  meeting: { room_url: string | null; room_name: string | null },
  viewer: PersonRow,
): string | null {
  if (meeting.room_url) return meeting.room_url;
  const user: RoomUser = { id: viewer.id, name: viewer.name, email: viewer.email, avatarUrl: viewer.avatar_url };
  return video.joinUrl(meeting.room_name, user);
}
