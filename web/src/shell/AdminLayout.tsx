import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';

/** The admin areas, as tabs above every admin page. Add a capability's admin page here. */
const ADMIN_SECTIONS: ReadonlyArray<{ path: string; title: string; end?: boolean }> = [
  { path: '/admin', title: 'People & sign-up', end: true },
  { path: '/admin/invitations', title: 'Invitations' },
  { path: '/admin/directory', title: 'Directory' },
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
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll: the current one is brought into view rather than left off-screen.
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger (a new page, a new current tab).
  useEffect(() => {
    const row = nav.current;
    const current = row?.querySelector<HTMLElement>('.admin-tab[aria-current="page"]');
    if (!row || !current) return;
    const box = current.getBoundingClientRect();
    const frame = row.getBoundingClientRect();
    if (box.left < frame.left || box.right > frame.right) {
      row.scrollLeft += box.left - frame.left - (frame.width - box.width) / 2;
    }
  }, [pathname]);

  // Which side has tabs scrolled out of sight: that edge fades (see .admin-tabs[data-more]).
  useEffect(() => {
    const row = nav.current;
    if (!row) return;
    const mark = () => {
      const left = row.scrollLeft > 1;
      const right = row.scrollLeft + row.clientWidth < row.scrollWidth - 1;
      const more = left && right ? 'both' : left ? 'left' : right ? 'right' : '';
      if (more) row.dataset.more = more;
      else delete row.dataset.more;
    };
    mark();
    row.addEventListener('scroll', mark, { passive: true });
    const resized = new ResizeObserver(mark);
    resized.observe(row);
    return () => {
      row.removeEventListener('scroll', mark);
      resized.disconnect();
    };
  }, []);
  return (
    <>
      <nav ref={nav} className="admin-tabs" aria-label="Admin sections">
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
