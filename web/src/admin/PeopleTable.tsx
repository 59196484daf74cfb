import type { AdminPerson, PersonAction } from '../api/types';
import { Button } from '../ui/Button';
import { TableHead } from '../ui/TableHead';
import { ACTION_LABELS, availableActions, displayName } from './personActions';

export interface PendingAction {
  personId: string;
  action: PersonAction;
}

interface PeopleTableProps {
  people: AdminPerson[];
  currentPersonId: string;
  pending: PendingAction | null;
  onAction: (person: AdminPerson, action: PersonAction) => void;
  onEdit: (person: AdminPerson) => void;
  /** Export or delete the person's data. */
  onData: (person: AdminPerson) => void;
}

export function PeopleTable({ people, currentPersonId, pending, onAction, onEdit, onData }: PeopleTableProps) {
  return (
    <table className="table people-table">
      <caption className="visually-hidden">People</caption>
      <TableHead columns={['Name', 'Email', 'Username', 'Role', 'State']} />
      <tbody>
        {people.map((person) => (
          <PersonRow
            key={person.id}
            person={person}
            isSelf={person.id === currentPersonId}
            pendingAction={pending?.personId === person.id ? pending.action : null}
            onAction={onAction}
            onEdit={onEdit}
            onData={onData}
          />
        ))}
      </tbody>
    </table>
  );
}

interface PersonRowProps {
  person: AdminPerson;
  isSelf: boolean;
  pendingAction: PersonAction | null;
  onAction: (person: AdminPerson, action: PersonAction) => void;
  onEdit: (person: AdminPerson) => void;
  onData: (person: AdminPerson) => void;
}

function PersonRow({ person, isSelf, pendingAction, onAction, onEdit, onData }: PersonRowProps) {
  const name = displayName(person);
  return (
    <tr className={person.enabled ? undefined : 'is-disabled'}>
      <th scope="row" className="cell-name" data-label="Name">
        {/* The name opens the edit form: a fourth button would not fit the actions column. */}
        <button
          type="button"
          className="link-button person-name"
          aria-label={`Edit ${name}`}
          title="Edit"
          onClick={() => onEdit(person)}
        >
          {name}
        </button>
        {isSelf ? <span className="badge badge-self">You</span> : null}
        {person.directoryId ? <span className="badge badge-directory">Directory</span> : null}
      </th>
      <td data-label="Email" className="cell-email">
        {person.email ?? (
          <span className="muted">
            <span aria-hidden="true">—</span>
            <span className="visually-hidden">No email</span>
          </span>
        )}
      </td>
      <td data-label="Username">{person.username}</td>
      <td data-label="Role">
        <span className={`badge badge-${person.role}`}>{person.role === 'admin' ? 'Admin' : 'Member'}</span>
      </td>
      <td data-label="State">
        <span className="badges">
          <span className={person.verified ? 'badge badge-ok' : 'badge badge-warn'}>
            {person.verified ? 'Verified' : 'Unverified'}
          </span>
          <span className={person.enabled ? 'badge badge-ok' : 'badge badge-off'}>
            {person.enabled ? 'Enabled' : 'Disabled'}
          </span>
        </span>
      </td>
      <td data-label="Actions" className="cell-actions">
        <div className="row-actions">
          {availableActions(person).map((action) => (
            <Button
              key={action}
              size="sm"
              variant={action === 'disable' ? 'danger' : 'secondary'}
              busy={pendingAction === action}
              disabled={pendingAction !== null}
              aria-label={`${ACTION_LABELS[action]} ${name}`}
              onClick={() => onAction(person, action)}
            >
              {ACTION_LABELS[action]}
            </Button>
          ))}
          <Button
            size="sm"
            variant="ghost"
            aria-label={`Data of ${name}: export or delete`}
            onClick={() => onData(person)}
          >
            Data…
          </Button>
        </div>
      </td>
    </tr>
  );
}
