"""The API's resources, each written once for the sync and async clients.

One module per resource; the clients list them in ``tiime._client._Resources``.
"""
