import { Body, Controller, Get, HttpCode, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthService } from './auth.service.js';
import { type AuthenticatedRequest, CurrentStaff } from '../access/current-staff.decorator.js';
import { LoginDto } from './login.dto.js';
import { Public } from '../access/roles.decorator.js';
import { SESSION_COOKIE } from './session-token.js';
import type { StaffPrincipal } from '../access/staff-principal.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Ip() clientAddress: string, @Res({ passthrough: true }) response: Response) {
    const session = await this.auth.login(body.email, body.password, clientAddress);
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: response.req.secure,
      expires: session.expiresAt,
      path: '/',
    });
    return session;
  }

  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(204)
  async logout(
    @CurrentStaff() staff: StaffPrincipal,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.auth.logout(request.sessionToken!, staff);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentStaff() staff: StaffPrincipal): StaffPrincipal {
    return staff;
  }
}
