#include <curl/curl.h>
#include <dlfcn.h>

// libcurl is loaded with dlopen when the first request is made, not linked: linking it would load
// libcurl and the TLS, LDAP and Kerberos libraries it depends on at every start of `costwise`, also
// for the commands that make no request. Hence no `link` in the module map.
//
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; these wrappers make
// the variadic calls through the function pointers that dlsym returned.

typedef CURLcode (*costwise_curl_setopt_function)(CURL *, CURLoption, ...);
typedef CURLcode (*costwise_curl_getinfo_function)(CURL *, CURLINFO, ...);

static inline CURLcode costwise_curl_setopt_long(void *setopt, CURL *handle, CURLoption option, long value) {
    return ((costwise_curl_setopt_function)setopt)(handle, option, value);
}

static inline CURLcode costwise_curl_setopt_pointer(void *setopt, CURL *handle, CURLoption option, const void *value) {
    return ((costwise_curl_setopt_function)setopt)(handle, option, value);
}

static inline CURLcode costwise_curl_setopt_write_function(void *setopt, CURL *handle, curl_write_callback callback) {
    return ((costwise_curl_setopt_function)setopt)(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode costwise_curl_getinfo_long(void *getinfo, CURL *handle, CURLINFO info, long *value) {
    return ((costwise_curl_getinfo_function)getinfo)(handle, info, value);
}
