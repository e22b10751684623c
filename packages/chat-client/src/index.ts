export {
  ChatClient,
  type ChatClientOptions,
  newClientId,
  SendError,
  type SendRequest,
} from './chat-client.ts';
