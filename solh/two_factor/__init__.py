"""Two-factor sign-in to the admin: an authenticator app (TOTP) and single-use recovery codes.

Built on django-otp (its TOTP and static-token devices). Who must use it is in ``policy``; setting
it up and checking codes in ``services``; the middleware keeps a session that has only given its
password out of the admin (and signed out everywhere else) until it gives a code.
"""
