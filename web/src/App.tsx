import { BrowserRouter, Route, Routes } from 'react-router-dom';
import { AdminPage } from './admin/AdminPage';
import { ApiTokensPage } from './admin/ApiTokensPage';
import { AuditPage } from './admin/AuditPage';
import { ChannelsPage } from './admin/ChannelsPage';
import { DirectoryPage } from './admin/DirectoryPage';
import { InboundPage } from './admin/InboundPage';
import { InvitationsPage } from './admin/InvitationsPage';
import { MessagesPage } from './admin/MessagesPage';
import { ForgotPasswordPage, InvitePage, ResetPasswordPage, VerifyEmailPage } from './auth/AccountLinkPages';
import { AuthProvider } from './auth/AuthProvider';
import { RequireAdmin } from './auth/RequireAdmin';
import { RequireAuth } from './auth/RequireAuth';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { AdminMeetingsPage } from './meetings/AdminMeetingsPage';
import { AnswerPage } from './meetings/AnswerPage';
import { MeetingPage } from './meetings/MeetingPage';
import { MeetingsPage } from './meetings/MeetingsPage';
import { AdminGroupPage } from './mixers/AdminGroupPage';
import { AdminGroupsPage } from './mixers/AdminGroupsPage';
import { GroupPage } from './mixers/GroupPage';
import { MixersPage } from './mixers/MixersPage';
import { ProfilePage } from './profile/ProfilePage';
import { AdminLayout } from './shell/AdminLayout';
import { AppLayout } from './shell/AppLayout';
import { HomePage } from './shell/HomePage';
import { NotFoundPage } from './shell/NotFoundPage';
import { PublicLayout } from './shell/PublicLayout';
import { ScrollToTop } from './shell/ScrollToTop';
import { EventPage } from './talks/EventPage';
import { ManageEventPage } from './talks/ManageEventPage';
import { TalksPage } from './talks/TalksPage';
import { TalksShell } from './talks/TalksShell';
import { AdminUnconferencePage } from './unconference/AdminUnconferencePage';
import { SchedulePage as AdminSchedulePage } from './unconference/admin/SchedulePage';
import { AgendaPage } from './unconference/attend/AgendaPage';
import { SchedulePage } from './unconference/attend/SchedulePage';
import { SessionPage } from './unconference/attend/SessionPage';
import { UnconferenceEventPage } from './unconference/EventPage';
import { ManageUnconferencePage } from './unconference/ManageUnconferencePage';
import { AdminProposalsPage } from './unconference/proposals/AdminProposalsPage';
import { UnconferencePage } from './unconference/UnconferencePage';

export function App() {
  return (
    <BrowserRouter>
      <ScrollToTop />
      <AuthProvider>
        <Routes>
          <Route element={<PublicLayout />}>
            <Route path="/signin" element={<SignInPage />} />
            <Route path="/signup" element={<SignUpPage />} />
            <Route path="/invite" element={<InvitePage />} />
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password" element={<ResetPasswordPage />} />
            <Route path="/verify-email" element={<VerifyEmailPage />} />
            <Route path="/meetings/:id/answer" element={<AnswerPage />} />
          </Route>
          <Route
            element={
              <RequireAuth>
                <AppLayout />
              </RequireAuth>
            }
          >
            <Route index element={<HomePage />} />
            <Route path="/mixers" element={<MixersPage />} />
            <Route path="/mixers/groups/:id" element={<GroupPage />} />
            <Route
              path="/talks/:eventId/manage"
              element={
                <RequireAdmin>
                  <ManageEventPage />
                </RequireAdmin>
              }
            />
            <Route path="/unconference" element={<UnconferencePage />} />
            <Route path="/unconference/:eventId" element={<UnconferenceEventPage />} />
            <Route path="/unconference/events/:id/schedule" element={<SchedulePage />} />
            <Route path="/unconference/events/:id/agenda" element={<AgendaPage />} />
            <Route path="/unconference/sessions/:id" element={<SessionPage />} />
            <Route path="/meetings" element={<MeetingsPage />} />
            <Route path="/meetings/:id" element={<MeetingPage />} />
            <Route path="/profile" element={<ProfilePage />} />
            <Route
              path="/admin"
              element={
                <RequireAdmin>
                  <AdminLayout />
                </RequireAdmin>
              }
            >
              <Route index element={<AdminPage />} />
              <Route path="invitations" element={<InvitationsPage />} />
              <Route path="directory" element={<DirectoryPage />} />
              <Route path="audit" element={<AuditPage />} />
              <Route path="mixers" element={<AdminGroupsPage />} />
              <Route path="mixers/:id" element={<AdminGroupPage />} />
              <Route path="meetings" element={<AdminMeetingsPage />} />
              <Route path="channels" element={<ChannelsPage />} />
              <Route path="messages" element={<MessagesPage />} />
              <Route path="inbound" element={<InboundPage />} />
              <Route path="api-tokens" element={<ApiTokensPage />} />
              <Route path="unconference" element={<AdminUnconferencePage />} />
              <Route path="unconference/:eventId" element={<ManageUnconferencePage />} />
              <Route path="unconference/:id/schedule" element={<AdminSchedulePage />} />
              <Route path="unconference/:eventId/proposals" element={<AdminProposalsPage />} />
            </Route>
          </Route>
          {/* Talks are public: visitors see the list and can read (not vote) without signing in. */}
          <Route
            path="/talks"
            element={
              <TalksShell>
                <TalksPage />
              </TalksShell>
            }
          />
          <Route
            path="/talks/archived"
            element={
              <TalksShell>
                <TalksPage archived />
              </TalksShell>
            }
          />
          <Route
            path="/talks/:eventId"
            element={
              <TalksShell>
                <EventPage />
              </TalksShell>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </AuthProvider>
    </BrowserRouter>
  );
}
