import { useDocumentTitle } from '../ui/useDocumentTitle';
import { PeoplePanel } from './PeoplePanel';
import { SettingsPanel } from './SettingsPanel';

export function AdminPage() {
  useDocumentTitle('Admin');
  return (
    <>
      <header className="page-header">
        <h1>Admin</h1>
        <p className="page-lede">Decide who can join, and manage the people in your organisation.</p>
      </header>
      <div className="stack">
        <SettingsPanel />
        <PeoplePanel />
      </div>
    </>
  );
}
