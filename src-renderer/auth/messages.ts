import { defineMessages } from '../i18n/index';

export const t = defineMessages(
  'auth',
  {
    title: 'Sign in to the workstation',
    intro: 'Sign in with your organisation account to take contacts, give credits and approve them.',
    signIn: 'Sign in',
    signingIn: 'Opening the sign-in page…',
    signOut: 'Sign out',
    failed: 'Sign-in failed: {message}',
    provider: 'Identity provider: {issuer}',
    role_agent: 'Agent',
    role_supervisor: 'Supervisor',
    role_technician: 'Technician',
    signedInAs: 'Signed in as {name}',
    language: 'Language',
  },
  {
    title: 'ワークステーションにサインイン',
    intro: '組織のアカウントでサインインすると、対応・クレジット発行・承認ができます。',
    signIn: 'サインイン',
    signingIn: 'サインインページを開いています…',
    signOut: 'サインアウト',
    failed: 'サインインに失敗しました: {message}',
    provider: 'ID プロバイダー: {issuer}',
    role_agent: 'エージェント',
    role_supervisor: 'スーパーバイザー',
    role_technician: '技術者',
    signedInAs: '{name} としてサインイン中',
    language: '言語',
  },
);
