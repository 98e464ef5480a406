"""The web desk: server-rendered pages for sellers, buyers and arbitrators on the API's app."""
