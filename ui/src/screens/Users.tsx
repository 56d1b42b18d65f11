// User accounts (administrators): add, change role and scope, deactivate, reset a password.

import { type FormEvent, useState } from "react";
import {
  Choice,
  ErrorNote,
  Field,
  FormFooter,
  Notice,
  Page,
  useAction,
  useEditing,
  useLoad,
} from "../components/common";
import { ExportButtons } from "../components/ExportButtons";
import { ipc, type ReferenceRecord, type Role, type SessionInfo, type User } from "../ipc";
import { has } from "../navigation";
import { ROLES, roleLabel } from "../roles";

interface Scopes {
  departments: ReferenceRecord[];
  locations: ReferenceRecord[];
}

async function loadScopes(): Promise<Scopes> {
  const [departments, locations] = await Promise.all([
    ipc.referenceList("department", false),
    ipc.referenceList("location", false),
  ]);
  return { departments, locations };
}

function optionsOf(records: ReferenceRecord[]) {
  return records.map((record) => ({
    value: record.id,
    label: (record.item.fields as { name: string }).name,
  }));
}

function nameOf(records: ReferenceRecord[], id: string | null): string {
  const record = records.find((candidate) => candidate.id === id);
  return record ? (record.item.fields as { name: string }).name : "–";
}

export function Users({ session }: { session: SessionInfo }) {
  const users = useLoad(() => ipc.usersList(), "users");
  const scopes = useLoad(loadScopes, "scopes");
  const editor = useEditing<User>(users.reload);
  const action = useAction();
  const canManage = has(session.grants, "manage_users");

  async function setActive(user: User, active: boolean) {
    if (await action.run(() => ipc.usersSetActive(user.id, active))) {
      editor.done(`${user.username} ${active ? "reactivated" : "deactivated"}.`);
    }
  }

  async function resetPassword(user: User) {
    const password = window.prompt(`New password for ${user.username} (at least 8 characters):`);
    if (password && (await action.run(() => ipc.usersResetPassword(user.id, password)))) {
      editor.setNotice(`Password of ${user.username} reset.`);
    }
  }

  return (
    <Page
      title="Users"
      actions={
        canManage && (
          <button type="button" onClick={() => editor.open("new")} data-testid="user-add">
            Add user
          </button>
        )
      }
    >
      <ExportButtons what={{ what: "users" }} />
      <Notice message={editor.notice} />
      <ErrorNote message={users.error ?? scopes.error ?? action.error} />
      {editor.isOpen && scopes.value && (
        <UserForm
          key={editor.formKey}
          user={editor.record}
          scopes={scopes.value}
          onDone={editor.done}
          onCancel={editor.close}
        />
      )}
      <table data-testid="users-table">
        <thead>
          <tr>
            <th>Username</th>
            <th>Name</th>
            <th>Role</th>
            <th>Department</th>
            <th>Branch</th>
            <th>Status</th>
            {canManage && <th />}
          </tr>
        </thead>
        <tbody>
          {(users.value ?? []).map((user) => (
            <tr key={user.id} className={user.active ? "" : "archived"}>
              <td>{user.username}</td>
              <td>{user.profile.display_name}</td>
              <td>{roleLabel(user.profile.role)}</td>
              <td>{nameOf(scopes.value?.departments ?? [], user.profile.department_id)}</td>
              <td>{nameOf(scopes.value?.locations ?? [], user.profile.location_id)}</td>
              <td>{user.active ? "active" : "deactivated"}</td>
              {canManage && (
                <td className="row-actions">
                  <button type="button" className="link" onClick={() => editor.open(user)}>
                    Edit
                  </button>
                  <button type="button" className="link" onClick={() => resetPassword(user)}>
                    Reset password
                  </button>
                  {user.id !== session.actor.id && (
                    <button type="button" className="link" onClick={() => setActive(user, !user.active)}>
                      {user.active ? "Deactivate" : "Reactivate"}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}

function UserForm({
  user,
  scopes,
  onDone,
  onCancel,
}: {
  user: User | null;
  scopes: Scopes;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [username, setUsername] = useState(user?.username ?? "");
  const [displayName, setDisplayName] = useState(user?.profile.display_name ?? "");
  const [role, setRole] = useState<Role>(user?.profile.role ?? "salesman");
  const [departmentId, setDepartmentId] = useState(user?.profile.department_id ?? "");
  const [locationId, setLocationId] = useState(user?.profile.location_id ?? "");
  const [password, setPassword] = useState("");
  const action = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const profile = {
      display_name: displayName,
      role,
      department_id: departmentId || null,
      location_id: locationId || null,
    };
    const saved = await action.run(() =>
      user
        ? ipc.usersUpdate(user.id, user.version, profile)
        : ipc.usersCreate({ username, profile, password }),
    );
    if (saved) onDone(user ? `Saved ${user.username}.` : `Added ${username.toLowerCase()}.`);
  }

  return (
    <form className="card inline-form" onSubmit={submit} data-testid="user-form">
      <h2>{user ? `Edit ${user.username}` : "Add user"}</h2>
      <div className="form-grid">
        <Field label="Username">
          <input
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            disabled={!!user}
          />
        </Field>
        <Field label="Display name">
          <input name="display_name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <Field label="Role">
          <Choice
            name="role"
            value={role}
            options={ROLES.map((entry) => ({ value: entry.role, label: entry.label }))}
            onChange={(value) => setRole(value as Role)}
          />
        </Field>
        <Field label="Department">
          <Choice
            name="department"
            value={departmentId}
            options={optionsOf(scopes.departments)}
            onChange={setDepartmentId}
            allowEmpty
          />
        </Field>
        <Field label="Branch">
          <Choice
            name="location"
            value={locationId}
            options={optionsOf(scopes.locations)}
            onChange={setLocationId}
            allowEmpty
          />
        </Field>
        {!user && (
          <Field label="Password">
            <input
              name="password"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
        )}
      </div>
      <FormFooter error={action.error} busy={action.busy} onCancel={onCancel} saveTestId="user-save" />
    </form>
  );
}
