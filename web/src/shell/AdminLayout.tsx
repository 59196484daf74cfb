import { NavLink, Outlet } from 'react-router-dom';

/** The admin areas, as tabs above every admin page. Add a capability's admin page here. */
const ADMIN_SECTIONS: ReadonlyArray<{ path: string; title: string; end?: boolean }> = [
  { path: '/admin', title: 'People & sign-up', end: true },
  { path: '/admin/invitations', title: 'Invitations' },
  { path: '/admin/mixers', title: 'Mixers' },
  { path: '/admin/meetings', title: 'Meetings' },
  { path: '/admin/channels', title: 'Channels' },
  { path: '/admin/messages', title: 'Messages' },
  { path: '/admin/inbound', title: 'Inbound' },
  { path: '/admin/api-tokens', title: 'API tokens' },
  { path: '/admin/unconference', title: 'Unconference' },
  { path: '/admin/audit', title: 'Audit log' },
  // Talks events are created and managed from the Talks pages themselves (event → Manage).
  { path: '/talks', title: 'Talks' },
];

export function AdminLayout() {
  return (
    <>
      <nav className="admin-tabs" aria-label="Admin sections">
        <ul>
          {ADMIN_SECTIONS.map((section) => (
            <li key={section.path}>
              <NavLink to={section.path} end={section.end} className="admin-tab">
                {section.title}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
