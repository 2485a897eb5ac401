import Costwise

/// What a request to an endpoint needs once the store holds keys: nothing (`/health`, so that
/// load balancers can probe), any valid key (`/v1/models`), or a key with a scope. Paths not named
/// here, such as `/metrics`, the dashboard and key management, need `admin`, so that an endpoint
/// added later is closed until it is given a scope on purpose.
enum EndpointAccess: Equatable {
    case open
    case anyKey
    case scope(KeyScope)

    init(path: String) {
        switch path {
        case "/health": self = .open
        case "/v1/models": self = .anyKey
        case "/v1/chat/completions", "/v1/select": self = .scope(.chat)
        case "/v1/feedback": self = .scope(.feedback)
        default: self = .scope(.admin)
        }
    }
}
